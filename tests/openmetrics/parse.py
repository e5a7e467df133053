"""Parses an OpenMetrics exposition from stdin with the official Python
client's strict parser, and prints what it read as JSON: families with
their type, unit and help, and samples with labels, value and exemplar.

A parse error exits non-zero with the parser's message on stderr.
"""

import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families


def exemplar(sample):
    if sample.exemplar is None:
        return None
    return {
        "labels": sample.exemplar.labels,
        "value": sample.exemplar.value,
        # A `Timestamp`, or None: seconds as a float.
        "timestamp": None if sample.exemplar.timestamp is None else float(sample.exemplar.timestamp),
    }


families = [
    {
        "name": family.name,
        "type": family.type,
        "unit": family.unit,
        "help": family.documentation,
        "samples": [
            {
                "name": sample.name,
                "labels": sample.labels,
                "value": sample.value,
                "exemplar": exemplar(sample),
            }
            for sample in family.samples
        ],
    }
    for family in text_string_to_metric_families(sys.stdin.read())
]
json.dump(families, sys.stdout)
