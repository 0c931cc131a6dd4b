package org.sparselinear.backend.cuda;

import jcuda.JCudaVersion;
import jcuda.LibUtils;

/**
 * JCuda's native driver binding for this platform and whether its jar is on the class path. JCuda publishes
 * natives ({@code org.jcuda:jcuda-natives}, {@code jcusparse-natives}) only for some platforms; the module's pom
 * adds them on those ({@code linux-x86_64}, {@code windows-x86_64} for JCuda 12.6.0) and leaves them out
 * elsewhere, so that the build never fails there. Reading the names touches only JCuda's Java classes, never a
 * native library.
 *
 * @param platform JCuda's name for this platform, e.g. {@code linux-x86_64} or {@code linux-aarch64}
 * @param resource where JCuda looks for the driver binding on the class path, e.g.
 *        {@code lib/libJCudaDriver-12.6.0-linux-x86_64.so}
 * @param onClassPath whether that resource was found
 */
record JCudaNatives(String platform, String resource, boolean onClassPath) {

    /** The platforms JCuda 12.6.0 publishes natives for, as the pom's profiles list them. */
    static final String PUBLISHED = "linux-x86_64 and windows-x86_64";

    /** The driver binding of this platform, looked up with {@code loader}. */
    static JCudaNatives find(ClassLoader loader) {
        String base = "JCudaDriver-" + JCudaVersion.get();
        String platformName = LibUtils.createPlatformLibraryName(base);
        String resource = "lib/" + LibUtils.createLibraryFileName(platformName);
        return new JCudaNatives(
                platformName.substring(base.length() + 1),
                resource,
                loader != null && loader.getResource(resource) != null);
    }

    /** The driver binding of this platform, looked up with the loader of this backend. */
    static JCudaNatives ofThisPlatform() {
        return find(JCudaNatives.class.getClassLoader());
    }

    /** Why CUDA cannot run when the binding is missing: one line, with what to do. */
    String missingReason() {
        return "JCuda's native library for " + platform + " (" + resource + ") is not on the class path: JCuda "
                + JCudaVersion.get() + " publishes natives (org.jcuda:jcuda-natives, jcusparse-natives) for "
                + PUBLISHED + " only, and this build adds them there; on " + platform + " use the cpu or opencl "
                + "backend, or put natives built for it on the class path or java.library.path";
    }
}
