package dev.winnow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What src/main/docker/Dockerfile.worker expects of the packaged worker, checked without building
 * an image and, for the CUDA build, without its 2.4 GB jar: the Dockerfile looks for the
 * pytorch-native jar of its FLAVOR at one path, unpacks it and deletes it there. The CPU build's
 * jar must be at that path in this build; the {@code cuda} profile's jar must land at the same
 * path by the same rules (Quarkus puts parent-first artifacts in lib/boot, named
 * group.artifact-version-classifier.jar), and the image script must ask for its flavour.
 */
class WorkerImageLayoutIT {
    static final Path APP = Path.of("target/quarkus-app");
    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.worker");
    static final Pattern NATIVE_JAR = Pattern.compile("/app/(lib/\\S*pytorch-native-\\$\\{FLAVOR}\\S*\\.jar)");

    /** The path the Dockerfile's check looks at, for a flavour, as a glob relative to target/quarkus-app. */
    static String dockerfileGlob(String flavor) throws IOException {
        Matcher m = NATIVE_JAR.matcher(Files.readString(DOCKERFILE));
        assertTrue(m.find(), DOCKERFILE + " checks for /app/lib/.../pytorch-native-${FLAVOR}-*.jar");
        return m.group(1).replace("${FLAVOR}", flavor);
    }

    static boolean matches(String glob, String path) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path));
    }

    record Artifact(String groupId, String artifactId, String version, String classifier) {
        /** Where Quarkus' fast-jar puts a parent-first artifact. */
        String bootPath() {
            return "lib/boot/" + groupId + "." + artifactId + "-" + version + "-" + classifier + ".jar";
        }

        String parentFirstKey() {
            return groupId + ":" + artifactId + ":" + classifier;
        }

        String flavor() {
            return artifactId.substring("pytorch-native-".length());
        }
    }

    /** The pytorch-native dependency of a profile of pom.xml. */
    static Artifact nativeOfProfile(String id) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String version = text(pom.getDocumentElement(), "pytorch.version");
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (text(profile, "id").equals(id)) {
                Element dependency = (Element) profile.getElementsByTagName("dependency").item(0);
                return new Artifact(text(dependency, "groupId"), text(dependency, "artifactId"),
                        text(dependency, "version").replace("${pytorch.version}", version), text(dependency, "classifier"));
            }
        }
        throw new AssertionError("pom.xml has no profile " + id);
    }

    static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().strip();
    }

    static List<String> parentFirst() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return List.of(properties.getProperty("quarkus.class-loading.parent-first-artifacts").split(","));
    }

    @Test
    void theCpuBuildsNativeJarIsWhereTheDockerfileLooksForIt() throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(APP.resolve("lib"))) {
            files.filter(p -> p.getFileName().toString().contains("pytorch-native")).forEach(p -> found.add(APP.relativize(p).toString()));
        }
        Artifact cpu = nativeOfProfile("cpu");
        assertEquals(List.of(cpu.bootPath()), found, "the packaged CPU build's native jar, named by Quarkus' rule");
        assertTrue(matches(dockerfileGlob(cpu.flavor()), found.get(0)), dockerfileGlob(cpu.flavor()) + " finds " + found.get(0));
    }

    @Test
    void theCudaProfilesJarLandsWhereTheDockerfileLooksForIt() throws Exception {
        Artifact cuda = nativeOfProfile("cuda");
        assertEquals("cu124", cuda.flavor());
        assertTrue(parentFirst().contains(cuda.parentFirstKey()),
                cuda.parentFirstKey() + " is parent-first (application.properties), so it lands in lib/boot beside DJL");
        assertTrue(parentFirst().contains(nativeOfProfile("cpu").parentFirstKey()), "the CPU build's rule, checked above, is the same");
        assertTrue(matches(dockerfileGlob(cuda.flavor()), cuda.bootPath()),
                dockerfileGlob(cuda.flavor()) + " finds " + cuda.bootPath());
        assertTrue(Files.readString(Path.of("src/test/images/build-and-test.sh")).contains("FLAVOR=" + cuda.flavor()),
                "the image script builds worker-cuda with FLAVOR=" + cuda.flavor());
    }
}
