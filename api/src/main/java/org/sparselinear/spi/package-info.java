/**
 * What backend and plugin writers implement and use, apart from the user-facing API in
 * {@code org.sparselinear.api}: for topology plugins, {@link org.sparselinear.spi.TopologyParameters}
 * checks the named parameters a provider is given exactly as the built-in topologies do.
 */
package org.sparselinear.spi;
