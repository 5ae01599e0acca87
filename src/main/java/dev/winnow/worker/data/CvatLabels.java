package dev.winnow.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import dev.winnow.contract.Task;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;

/**
 * {@code Cvat} labels: CVAT's "CVAT for images 1.1" export ({@code annotations.xml}, or the task's
 * export zip holding it), one file or a directory of {@code *.xml}/{@code *.zip} read in name order;
 * later files win. Format: https://docs.cvat.ai/docs/other/xml_format (version 1.1, annotation mode).
 * <ul>
 *   <li>The sample id is the {@code <image name>} without its image extension: the name the label
 *       request gave each image (upload the images under their sample ids).</li>
 *   <li>Classification reads an image's {@code <tag label>}; detection its {@code <box label xtl ytl
 *       xbr ybr>} in pixels. Other shapes (polygons, points) are ignored.</li>
 *   <li>CVAT exports every image of a task, done or not, so an image without boxes or tags is still
 *       open. In detection a tag that is no class (e.g. {@code empty}) on an image without boxes
 *       labels it as holding no objects.</li>
 *   <li>A box or a classification tag whose label is not a class is an error naming the file and image.</li>
 * </ul>
 */
public final class CvatLabels implements LabelReader {

    @Override
    public LabelSet read(ArtifactStore store, URI uri, ClassList classes, Task task) {
        LabelSet labels = new LabelSet();
        for (URI file : LabelFiles.find(store, uri, name -> name.endsWith(".xml") || name.endsWith(".zip"))) {
            readFile(parse(store, file), file.toString(), classes, task, labels);
        }
        return labels;
    }

    private static Document parse(ArtifactStore store, URI file) {
        try (InputStream in = store.open(file)) {
            return builder().parse(file.getPath().endsWith(".zip") ? annotationsXml(in, file) : in);
        } catch (IOException e) {
            throw new StorageException("cannot read CVAT export " + file + ": " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new IllegalArgumentException(file + ": not XML: " + e.getMessage(), e);
        }
    }

    /** The export zip's annotations.xml, positioned for reading. */
    private static InputStream annotationsXml(InputStream in, URI file) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (entry.getName().equals("annotations.xml")) {
                return zip;
            }
        }
        throw new IllegalArgumentException(file + ": a zip without annotations.xml, so not a CVAT for images export");
    }

    // exports come from people's tools: no DTDs, no external entities
    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // throws on fatal errors like the default, without also printing them to stderr
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readFile(Document doc, String file, ClassList classes, Task task, LabelSet labels) {
        Element root = doc.getDocumentElement();
        if (!"annotations".equals(root.getTagName())) {
            throw new IllegalArgumentException(file + ": not a CVAT for images export (the root is <"
                    + root.getTagName() + ">, not <annotations>)");
        }
        for (Element image : children(root, "image")) {
            String name = image.getAttribute("name");
            if (name.isBlank()) {
                throw new IllegalArgumentException(file + ": an <image> (id " + image.getAttribute("id") + ") without a name");
            }
            String where = file + " image '" + name + "'";
            List<Box> boxes = new ArrayList<>();
            for (Element box : children(image, "box")) {
                boxes.add(new Box(classes.require(box.getAttribute("label"), where), number(box, "xtl", where),
                        number(box, "ytl", where), number(box, "xbr", where), number(box, "ybr", where)));
            }
            List<Element> tags = children(image, "tag");
            if (boxes.isEmpty() && tags.isEmpty()) {
                continue;
            }
            SampleLabel label = task == Task.ObjectDetection || tags.isEmpty()
                    ? LabelReader.forTask(boxes, classes, task)
                    : SampleLabel.ofClass(classes.require(tags.get(0).getAttribute("label"), where));
            labels.put(LabelFiles.stripImageExtension(name), label);
        }
    }

    private static double number(Element box, String attribute, String where) {
        try {
            return Double.parseDouble(box.getAttribute(attribute));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": a <box> with " + attribute + "='" + box.getAttribute(attribute)
                    + "', not a number");
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}
