package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of samples and where its labels and artifacts live. Ready once indexed. */
@JsonClassDescription("A pool of samples and where its labels and artifacts live. The index step counts samples, labels and tags; Ready once indexed. Set the annotation winnow.dev/reindex to a new value to count new labels.")
@Group(Dataset.GROUP)
@Version(Dataset.VERSION)
@Categories("winnow")
@ShortNames("wds")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Dataset extends CustomResource<DatasetSpec, DatasetStatus> implements Namespaced {
    public static final String GROUP = "winnow.dev";
    public static final String VERSION = "v1alpha1";
}
