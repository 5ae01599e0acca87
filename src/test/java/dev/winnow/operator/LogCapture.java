package dev.winnow.operator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a logger (and those below it) writes at WARNING or above while it is open. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    /** JOSDK's log, where "Exhausted retries" would appear. */
    static LogCapture josdk() {
        return new LogCapture("io.javaoperatorsdk");
    }

    List<String> containing(String text) {
        synchronized (messages) {
            return messages.stream().filter(m -> m.contains(text)).toList();
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            messages.add(String.valueOf(record.getMessage()));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
