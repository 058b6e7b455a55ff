"""A two-node Ray cluster on one machine (`ray.cluster_utils.Cluster`): the distributed
index is the local one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_distributed import SOURCES, assert_same_index

from qa.index import Index

pytestmark = pytest.mark.slow


def test_a_two_node_cluster_builds_the_local_index(tmp_path: Path) -> None:
    import ray
    from ray.cluster_utils import Cluster

    from qa.distributed import add_with_ray

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    cluster.add_node(num_cpus=2)
    cluster.wait_for_nodes()
    try:
        ray.init(address=cluster.address, log_to_driver=False)
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
        with Index.open(tmp_path / "ray") as index:
            add_with_ray(index, SOURCES, cluster.address, actors=2)
        with Index.open(tmp_path / "local") as index:
            index.add(SOURCES)
        assert_same_index(tmp_path / "ray", tmp_path / "local")
    finally:
        ray.shutdown()
        cluster.shutdown()
