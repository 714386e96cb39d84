"""Runs SQL statements in a local Apache Spark session over tables given as JSON rows.

Input (a JSON file, first argument): {"tables": [{"name", "schema" (Spark DDL), "rows": [...]}],
"queries": ["SELECT ...", ...]}. Output (stdout, one JSON line): {"results": [[row, ...] | {"error": text}, ...]},
each row a JSON object (structs as objects, arrays as lists), in the order Spark returns them.
"""
import json
import sys

from pyspark.sql import SparkSession


def main(path: str) -> None:
    spec = json.load(open(path, encoding="utf8"))
    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for table in spec["tables"]:
        rows = spark.sparkContext.parallelize([json.dumps(r) for r in table["rows"]] or ["{}"])
        frame = spark.read.schema(table["schema"]).json(rows)
        if not table["rows"]:
            frame = frame.limit(0)
        frame.createOrReplaceTempView(table["name"])
    results = []
    for sql in spec["queries"]:
        try:
            results.append([r.asDict(recursive=True) for r in spark.sql(sql).collect()])
        except Exception as error:  # a statement Spark refuses: its message, for the test to show
            results.append({"error": str(error).splitlines()[0]})
    print(json.dumps({"results": results}))
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
