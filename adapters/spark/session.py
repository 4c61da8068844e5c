"""A SparkSession for the batch: the caller's master, the repository's Python on every worker."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from pyspark.sql import SparkSession

DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.shuffle.partitions": "8",
    "spark.driver.memory": "4g",
    "spark.python.worker.reuse": "true",  # each worker loads the matcher once, then serves many tasks
}


def start_session(master: str = "local[*]", conf: Mapping[str, str] | None = None,
                  app_name: str = "linkage-batch") -> SparkSession:
    """Start (or join the running) session. Workers run this interpreter so they import this project."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master.startswith("local"):  # one machine: stay on loopback rather than the first interface
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {**DEFAULTS, **dict(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def parse_conf(pairs: list[str]) -> dict[str, str]:
    """`["spark.driver.memory=8g"]` -> `{"spark.driver.memory": "8g"}`; a malformed pair is an error."""
    conf: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"--spark-conf {pair!r}: expected KEY=VALUE")
        conf[key.strip()] = value.strip()
    return conf


@contextmanager
def spark_session(master: str = "local[*]", conf: Mapping[str, str] | None = None) -> Iterator[SparkSession]:
    """A session for one command: joins a running one (left running) or starts one (stopped after)."""
    running = SparkSession.getActiveSession()
    spark = running or start_session(master, conf)
    try:
        yield spark
    finally:
        if running is None:
            spark.stop()
