package dev.winnow.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The policy that chains selection, labeling and training rounds until a stop condition holds. */
@Group(Dataset.GROUP)
@Version(Dataset.VERSION)
@Categories("winnow")
@ShortNames("alloop")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ActiveLearningLoop extends CustomResource<ActiveLearningLoopSpec, ActiveLearningLoopStatus> implements Namespaced {
}
