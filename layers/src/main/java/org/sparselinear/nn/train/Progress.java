package org.sparselinear.nn.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress display for one pass over the data: one {@link #step} per batch. */
public interface Progress extends AutoCloseable {

    /** One more unit done; {@code message} (may be null) is shown next to the bar. */
    void step(String message);

    /** Whether {@link #step}'s message is shown at all (so callers can skip formatting it). */
    boolean showsMessages();

    @Override
    void close();

    /** Makes a {@link Progress} per pass. */
    interface Factory {

        /** Starts a display for a task of {@code total} units. */
        Progress start(String task, long total);
    }

    /** Shows nothing. */
    static Factory none() {
        return (task, total) -> new Progress() {
            @Override
            public void step(String message) {}

            @Override
            public boolean showsMessages() {
                return false;
            }

            @Override
            public void close() {}
        };
    }

    /**
     * A text progress bar on {@code err} (me.tongfei:progressbar, ASCII style). On a terminal
     * the bar redraws in place at the terminal's width; when {@code err} is redirected it is
     * drawn less often, at most 100 columns wide.
     */
    static Factory console(PrintStream err) {
        boolean interactive = System.console() != null && err == System.err;
        return (task, total) -> {
            ProgressBarBuilder builder = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(interactive ? 200 : 2000);
            if (!interactive) {
                builder.setConsumer(new ConsoleProgressBarConsumer(err, 100));
            }
            ProgressBar bar = builder.build();
            return new Progress() {
                @Override
                public void step(String message) {
                    if (message != null) {
                        bar.setExtraMessage(message);
                    }
                    bar.step();
                }

                @Override
                public boolean showsMessages() {
                    return true;
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }
}
