package dev.winnow.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of samples and where its labels and artifacts live. Ready once indexed. */
@Group(Dataset.GROUP)
@Version(Dataset.VERSION)
@ShortNames("wds")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = Validation.NAME_LENGTH_RULE, message = Validation.NAME_LENGTH_MESSAGE)
public class Dataset extends CustomResource<DatasetSpec, DatasetStatus> implements Namespaced {
    public static final String GROUP = "winnow.dev";
    public static final String VERSION = "v1alpha1";
}
