package dev.winnow.operator.naming;

import dev.winnow.api.v1alpha1.Validation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names Winnow derives from its resources' names, in one place. A derived name that would be too
 * long keeps a readable prefix, then a short hash of the whole base name, then the suffix (the round,
 * the step), so it is deterministic (a restarted operator finds what it made) and still unique.
 */
public final class Names {
    /** Loop children carry their name in label values on their Jobs, which hold at most 63 characters. */
    public static final int MAX_CHILD = Validation.MAX_NAME;
    /**
     * Job names become pod names and, for Indexed Jobs, pod hostnames {@code <job>-<index>}: a DNS label
     * of at most 63 characters, so 52 leaves room for any shard index (and matches CronJob's limit).
     */
    public static final int MAX_JOB = 52;
    static final int HASH_LENGTH = 8;

    private Names() {
    }

    /** Round r's TrainingRun and SelectionRound of a loop: {@code <loop>-r<r>}. */
    public static String child(String loop, int round) {
        return fit(loop, "-r" + round, MAX_CHILD);
    }

    /**
     * A step Job of a resource: {@code <owner>-<suffix>}. A dot is valid in a resource name but not in
     * a hostname, so a dotted name is rewritten, with the hash keeping "a.b" and "a-b" apart.
     */
    public static String job(String owner, String suffix) {
        String dotless = owner.replace('.', '-');
        return dotless.equals(owner) ? fit(owner, "-" + suffix, MAX_JOB) : shortened(dotless, owner, "-" + suffix, MAX_JOB);
    }

    /**
     * A training engine's resource for a step: {@code <owner>-<suffix>} as for a Job, but a DNS label
     * that starts with a letter (RFC 1035), the strictest rule of the engines (TrainJob's CRD, the
     * training operator's webhook): an owner named "1st-run" gets "run-1st-run-<hash>-train".
     */
    public static String engine(String owner, String suffix) {
        String job = job(owner, suffix);
        return Character.isLetter(job.charAt(0)) ? job : shortened("run-" + owner.replace('.', '-'), owner, "-" + suffix, MAX_JOB);
    }

    static String fit(String base, String suffix, int max) {
        return base.length() + suffix.length() <= max ? base + suffix : shortened(base, base, suffix, max);
    }

    /** As much of {@code readable} as fits, a hash of {@code hashed}, the suffix. */
    private static String shortened(String readable, String hashed, String suffix, int max) {
        String hash = hash(hashed);
        int keep = Math.max(0, Math.min(readable.length(), max - suffix.length() - hash.length() - 1));
        String prefix = readable.substring(0, keep).replaceAll("[-.]+$", "");
        return (prefix.isEmpty() ? "" : prefix + "-") + hash + suffix;
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
