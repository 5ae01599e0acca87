package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The policy that chains selection, labeling and training rounds until a stop condition holds. */
@JsonClassDescription("An active learning loop: an initial selection, then rounds of train, infer, select and wait for labels, each a TrainingRun and a SelectionRound named <loop>-r<round>, until a stopWhen condition holds.")
@Group(Dataset.GROUP)
@Version(Dataset.VERSION)
@Categories("winnow")
@ShortNames("alloop")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ActiveLearningLoop extends CustomResource<ActiveLearningLoopSpec, ActiveLearningLoopStatus> implements Namespaced {
}
