package dev.winnow.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;

/**
 * Which containers the demo can run: only Winnow's worker image, whose entrypoint is the {@code winnow} command
 * and is therefore the jar already at hand. Any other image would need a container runtime.
 */
public final class WorkerImage {
    private final String image;

    public WorkerImage(String image) {
        this.image = image;
    }

    public String image() {
        return image;
    }

    /**
     * The arguments to the {@code winnow} command for this container.
     *
     * @throws Refused when the container cannot run here, with the message its pod reports
     */
    public List<String> winnowArgs(Container c) throws Refused {
        if (c.getImage() == null || !repository(c.getImage()).equals(repository(image))) {
            throw new Refused("winnow demo can only run Winnow's worker image (" + image + "); container "
                    + c.getName() + " uses image " + c.getImage() + ". Run this manifest on a cluster instead.");
        }
        List<String> args = new ArrayList<>();
        List<String> command = c.getCommand() == null ? List.of() : c.getCommand();
        if (!command.isEmpty()) {
            // the image's entrypoint, written out, is fine; another program inside the image is not available here
            String program = command.get(0).substring(command.get(0).lastIndexOf('/') + 1);
            if (!program.equals("winnow")) {
                throw new Refused("winnow demo runs the worker image's winnow command only; container "
                        + c.getName() + " asks for command " + command);
            }
            args.addAll(command.subList(1, command.size()));
        }
        if (c.getArgs() != null) {
            args.addAll(c.getArgs());
        }
        return args;
    }

    /** The image without tag or digest: the local jar is the worker whatever tag a manifest pins. */
    static String repository(String ref) {
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) {
            r = r.substring(0, at);
        }
        int colon = r.lastIndexOf(':');
        if (colon > r.lastIndexOf('/')) {
            r = r.substring(0, colon);
        }
        return r;
    }

    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }
}
