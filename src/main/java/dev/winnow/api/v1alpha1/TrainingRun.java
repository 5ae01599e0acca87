package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One training on a labeled snapshot, then inference over the pool. */
@JsonClassDescription("One training on a labeled snapshot, then inference over the pool: a train Job, then an infer Job with one pod per shard. Succeeded with a checkpoint, predictions and metrics. Immutable.")
@Group(Dataset.GROUP)
@Version(Dataset.VERSION)
@Categories("winnow")
@ShortNames("wtr")
@AdditionalPrinterColumn(name = "Dataset", jsonPath = ".spec.datasetRef", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TrainingRun extends CustomResource<TrainingRunSpec, TrainingRunStatus> implements Namespaced {
}
