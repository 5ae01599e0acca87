package dev.winnow.operator.job;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.StepTemplate;
import dev.winnow.contract.StepName;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one step Job should be: whose it is, which step, on which dataset, in which container, with
 * which extra contract variables. {@link StepJobBuilder} turns it into a batch/v1 Job.
 */
public record StepJob(HasMetadata owner, StepName step, String jobSuffix, Dataset dataset, StepTemplate template, List<String> workerArgs,
                      Map<String, String> env, List<InitStep> initSteps, int shards, int backoffLimit,
                      Long activeDeadlineSeconds, boolean waitsForPeople) {

    /** A built-in step of Winnow's worker run before the main container, e.g. preparing the id lists a trainer reads. */
    public record InitStep(StepName step, List<String> workerArgs) {
        InitStep(StepName step) {
            this(step, List.of("worker", step.id()));
        }
    }

    public static Builder of(HasMetadata owner, StepName step, Dataset dataset) {
        return new Builder(owner, step, dataset);
    }

    public static final class Builder {
        private final HasMetadata owner;
        private final StepName step;
        private final Dataset dataset;
        private String jobSuffix;
        private StepTemplate template;
        private List<String> workerArgs;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<InitStep> initSteps = new ArrayList<>();
        private int shards;
        private int backoffLimit = 2;
        private Long activeDeadlineSeconds;
        private boolean waitsForPeople;

        private Builder(HasMetadata owner, StepName step, Dataset dataset) {
            this.owner = owner;
            this.step = step;
            this.dataset = dataset;
            this.workerArgs = List.of("worker", step.id());
            this.jobSuffix = step.id();
        }

        /** The Job is named owner-suffix; the suffix defaults to the step. */
        public Builder jobSuffix(String suffix) {
            this.jobSuffix = suffix;
            return this;
        }

        public Builder template(StepTemplate template) {
            this.template = template;
            return this;
        }

        public Builder workerArgs(String... args) {
            this.workerArgs = List.of(args);
            return this;
        }

        /** Adds a contract variable; null values are left out so steps can tell "unset" from "empty". */
        public Builder env(String name, Object value) {
            if (value != null) {
                env.put(name, String.valueOf(value));
            }
            return this;
        }

        public Builder initStep(StepName step) {
            initSteps.add(new InitStep(step));
            return this;
        }

        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        public Builder backoffLimit(int backoffLimit) {
            this.backoffLimit = backoffLimit;
            return this;
        }

        public Builder activeDeadlineSeconds(Long seconds) {
            this.activeDeadlineSeconds = seconds;
            return this;
        }

        /**
         * The step waits for people (await-labels), perhaps for days: it carries no Kueue queue label and
         * requests next to nothing, so the wait holds no quota.
         */
        public Builder waitsForPeople() {
            this.waitsForPeople = true;
            return this;
        }

        public StepJob build() {
            return new StepJob(owner, step, jobSuffix, dataset, template, workerArgs, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env)), List.copyOf(initSteps), shards,
                    backoffLimit, activeDeadlineSeconds, waitsForPeople);
        }
    }
}
