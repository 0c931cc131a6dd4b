/**
 * An example third-party topology plugin: {@link com.example.banded.BandedTopology}, registered
 * as {@code "banded"} by {@link com.example.banded.BandedTopologyProvider} in
 * {@code META-INF/services/org.sparselinear.spi.TopologyProvider}. It depends on the
 * SparseLinear api alone; with its jar on the class path,
 * {@code SparseLinear.options().topology("banded")} and
 * {@code Topologies.byName("banded", Map.of("width", 5))} find it.
 */
package com.example.banded;
