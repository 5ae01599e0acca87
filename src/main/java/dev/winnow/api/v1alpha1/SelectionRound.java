package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One sampling step, then the wait for its labels. */
@JsonClassDescription("One sampling step, then the wait for its labels: a select Job writes the chosen ids as a tag, an await-labels Job waits until they are labeled. Immutable.")
@Group(Dataset.GROUP)
@Version(Dataset.VERSION)
@Categories("winnow")
@ShortNames("wsr")
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SelectionRound extends CustomResource<SelectionRoundSpec, SelectionRoundStatus> implements Namespaced {
}
