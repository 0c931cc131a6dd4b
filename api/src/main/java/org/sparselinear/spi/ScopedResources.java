package org.sparselinear.spi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.sparselinear.api.DeviceResource;
import org.sparselinear.api.MemoryScope;

/**
 * The per-thread stack of open {@link MemoryScope}s of one backend. A backend registers every
 * resource it allocates with {@link #adopt}; the innermost open scope of the calling thread
 * then owns it. Shared by all backends through {@link AbstractBackend}.
 */
final class ScopedResources {

    private final ThreadLocal<Deque<Scope>> open = ThreadLocal.withInitial(ArrayDeque::new);

    MemoryScope newScope() {
        Scope scope = new Scope(open.get());
        open.get().push(scope);
        return scope;
    }

    <T extends DeviceResource> T adopt(T resource) {
        Scope innermost = open.get().peek();
        if (innermost != null) {
            innermost.owned.add(resource);
        }
        return resource;
    }

    private static final class Scope implements MemoryScope {
        private final Deque<Scope> stack;
        private final Set<DeviceResource> owned = new LinkedHashSet<>();
        private boolean closed;

        Scope(Deque<Scope> stack) {
            this.stack = stack;
        }

        @Override
        public <T extends DeviceResource> T keep(T resource) {
            if (!owned.remove(resource)) {
                throw new IllegalArgumentException("keep: the resource does not belong to this scope");
            }
            return resource;
        }

        @Override
        public int liveResources() {
            return owned.size();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            while (!stack.isEmpty() && stack.peek() != this && stack.contains(this)) {
                stack.peek().close();
            }
            stack.remove(this);
            closed = true;
            for (DeviceResource resource : owned) {
                resource.close();
            }
            owned.clear();
        }
    }
}
