#!/usr/bin/env python3
"""Winnow's step contract (docs/step-contract.md) turned into NVIDIA TAO 5 YOLOv4 command lines.

One file, Python 3 standard library only, so it runs in TAO's own image. WINNOW_STEP picks the step:

  train  WINNOW_TRAIN_IDS   -> a KITTI folder of symlinks to just those images and labels,
                               `yolo_v4 dataset_convert` into TFRecords, the dataset_config of the spec
         WINNOW_RESUME_FROM -> training_config.pretrain_model_path (or TAO_RESUME_AS=resume_model_path)
         WINNOW_SEED        -> random_seed
         `yolo_v4 train -e spec -r results -k key`, then the last checkpoint goes to WINNOW_CHECKPOINT_OUT
         and the last mAP TAO wrote to results/status.json goes into the termination message.
  infer  WINNOW_PREDICT_IDS (this pod's shard of it) -> a folder of symlinks given to
         `yolo_v4 inference -m checkpoint -i folder -e spec -r results`; TAO's KITTI files (the score is the
         16th column) are copied to WINNOW_PREDICTIONS_OUT/labels/<id>.txt with ids.txt beside them.

Flags are those of the TAO 5 TF1 backend, github.com/NVIDIA/tao_tensorflow1_backend:
  nvidia_tao_tf1/cv/detectnet_v2/scripts/dataset_convert.py  (yolo_v4 dataset_convert reuses it): -d -o -r
  nvidia_tao_tf1/cv/yolo_v4/scripts/train.py:      -e/--experiment_spec_file, -r/--results_dir, -k/--key
  nvidia_tao_tf1/cv/yolo_v4/scripts/inference.py:  -m/--model_path, -i/--image_dir, -e, -k, -t/--threshold,
                                                   -r/--results_dir (KITTI goes to <results_dir>/labels;
                                                   this script has no -o/-l output flags)
  nvidia_tao_tf1/cv/common/entrypoint/entrypoint.py: --gpus N (train only; the task must come first)
  nvidia_tao_tf1/cv/yolo_v4/utils/spec_loader.py and proto/: the spec fields set here
and the TAO 5 YOLOv4 page: docs.nvidia.com/tao/tao-toolkit/text/object_detection/yolo_v4.html.

Knobs of this script (set them in the step's env):
  TAO_SPEC       the experiment spec (yolov4_config, training_config, augmentation_config, eval_config,
                 nms_config) WITHOUT dataset_config and without *_model_path: this script writes those.
                 TAO_SPEC_TEXT, the spec itself (e.g. from a ConfigMap key), wins over TAO_SPEC.
  TAO_VAL_DIR    train: a fixed, labeled KITTI folder (images/, labels/) that TAO validates on, so mAP is
                 comparable from round to round.
  TAO_PRETRAINED train, first round: backbone weights from NGC (pretrain_model_path).
  TAO_RESUME_AS  pretrain_model_path (default: the last round's weights, a fresh schedule on the grown
                 label set) or resume_model_path (TAO continues the checkpoint's own schedule).
  TAO_KEY        -k, when your models are encrypted.
  TAO_GPUS       train: --gpus (match the step's gpus).
  TAO_THRESHOLD  infer: -t (default 0.1, below TAO's 0.3: the doubtful boxes are what uncertainty
                 sampling looks for).
  TAO_WORK_DIR   where the staged folders, TFRecords and TAO's results go (default: a temporary folder).

URIs must be file:// (or plain paths): put the pool, labels and artifacts on a PersistentVolumeClaim listed
in the Dataset's storage.volumes. Exit codes follow the contract: 2 with {"error"} on bad input, 1 when TAO
fails.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
KITTI_COLUMNS = 16  # 15 KITTI fields and TAO's confidence


class BadInput(Exception):
    """The step's input is wrong: exit 2, as Winnow's own worker does."""


class TaoFailed(Exception):
    """TAO itself failed or wrote less than it should: exit 1."""


def env(name, default=None):
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if default is None:
        raise BadInput(name + " is not set")
    return default


def integer(name, default):
    try:
        return int(env(name, default))
    except ValueError:
        raise BadInput(name + " is " + env(name) + ", not a whole number")


def local(uri, what):
    """A file:// URI or a plain path as a local path; object stores need staging this script does not do."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme == "file":
        return urllib.parse.unquote(parsed.path)
    if parsed.scheme == "" and uri.startswith("/"):
        return uri
    raise BadInput(what + " is " + uri + ": this entrypoint reads file:// URIs only; put the data on a "
                   "PersistentVolumeClaim listed in the Dataset's storage.volumes")


def within(directory_uri, name):
    return directory_uri.rstrip("/") + "/" + name


def read_ids(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            ids = [line.strip() for line in f if line.strip()]
    except OSError as e:
        raise BadInput("cannot read " + what + " " + path + ": " + e.strerror)
    for sample in ids:
        # TAO names its outputs after the image's base name, so nested ids would collide
        if "/" in sample:
            raise BadInput("id '" + sample + "' has a folder: TAO's inference writes labels/<basename>.txt, so "
                           "the pool must be one flat folder of images")
    return ids


def image_files(root):
    """Pool id (file name without extension) to its image path."""
    if not os.path.isdir(root):
        raise BadInput("WINNOW_DATASET_URI " + root + " is not a directory")
    found = {}
    for name in sorted(os.listdir(root)):
        stem, ext = os.path.splitext(name)
        if ext.lower() in IMAGE_EXTENSIONS:
            found[stem] = os.path.join(root, name)
    return found


def link_images(ids, images, into, one_extension):
    """Symlinks to just these images; returns their extension (the first one when several may mix)."""
    os.makedirs(into, exist_ok=True)
    extensions = set()
    for sample in ids:
        source = images.get(sample)
        if source is None:
            raise BadInput("id '" + sample + "' has no .png/.jpg image in WINNOW_DATASET_URI")
        ext = os.path.splitext(source)[1]
        extensions.add(ext)
        os.symlink(source, os.path.join(into, sample + ext))
    if one_extension and len(extensions) > 1:
        raise BadInput("images of several extensions " + str(sorted(extensions)) + "; TAO's TFRecords take one")
    return min(extensions) if extensions else ".png"


def classes():
    names = [c.strip() for c in env("WINNOW_CLASSES").split(",") if c.strip()]
    lowered = [c.lower() for c in names]
    if len(set(lowered)) != len(names):
        raise BadInput("WINNOW_CLASSES " + str(names) + " repeat a name, or differ only in case, which TAO "
                       "lowercases")
    return names


def check_contract():
    if env("WINNOW_TASK") != "ObjectDetection":
        raise BadInput("WINNOW_TASK is " + env("WINNOW_TASK") + "; YOLOv4 detects objects (ObjectDetection)")
    if env("WINNOW_DATASET_FORMAT") != "ImageFolder":
        raise BadInput("WINNOW_DATASET_FORMAT is " + env("WINNOW_DATASET_FORMAT") + "; this entrypoint reads an "
                       "ImageFolder pool")


# ---- the experiment spec ----

def base_spec():
    text = os.environ.get("TAO_SPEC_TEXT", "")
    name = "TAO_SPEC_TEXT"
    if not text.strip():
        path = env("TAO_SPEC")
        name = "TAO_SPEC " + path
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise BadInput("cannot read TAO_SPEC " + path + ": " + e.strerror)
    code = re.sub(r"#.*", "", text)  # protobuf text comments
    owned = re.search(r"\b(dataset_config|resume_model_path|pretrain_model_path|pruned_model_path)\b", code)
    if owned:
        raise BadInput(name + " sets " + owned.group(1) + ", which this entrypoint writes from the "
                       "step contract; remove it")
    if not re.search(r"^\s*training_config\s*\{", code, re.M):
        raise BadInput(name + " has no training_config { ... }")
    return text


def quoted(value):
    return json.dumps(value)  # a JSON string is a valid protobuf text string for paths and names


def experiment_spec(base, data_sources, validation_sources, image_extension, model_path=None):
    """TAO_SPEC plus what the contract decides: seed, the model to start from, and dataset_config."""
    text = re.sub(r"^\s*random_seed\s*:.*$\n?", "", base, flags=re.M)
    text = "random_seed: " + str(integer("WINNOW_SEED", "0")) + "\n" + text
    if model_path:
        field = env("TAO_RESUME_AS", "pretrain_model_path") if model_path[0] == "resume" else "pretrain_model_path"
        if field not in ("pretrain_model_path", "resume_model_path"):
            raise BadInput("TAO_RESUME_AS is " + field + "; use pretrain_model_path or resume_model_path")
        text = re.sub(r"^(\s*training_config\s*\{)", lambda m: m.group(1) + "\n  " + field + ": "
                      + quoted(model_path[1]), text, count=1, flags=re.M)
    lines = ["dataset_config {"]
    for key, sources in (("data_sources", data_sources), ("validation_data_sources", validation_sources)):
        for source in sources:
            lines.append("  " + key + " {")
            lines += ["    " + k + ": " + quoted(v) for k, v in source]
            lines.append("  }")
    lines.append("  include_difficult_in_training: true")
    lines.append("  image_extension: " + quoted(image_extension.lstrip(".")))
    for name in classes():
        lines.append("  target_class_mapping { key: " + quoted(name.lower()) + " value: " + quoted(name.lower())
                     + " }")
    lines.append("}")
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# ---- running TAO ----

def yolo_v4(task, args):
    argv = ["yolo_v4", task] + args  # the task first: TAO's entrypoint takes the first argument as the task
    if env("TAO_KEY", "-") != "-":
        argv += ["-k", env("TAO_KEY")]
    print("+ " + " ".join(a if a != os.environ.get("TAO_KEY") else "***" for a in argv), file=sys.stderr,
          flush=True)
    try:
        code = subprocess.call(argv)
    except FileNotFoundError:
        raise BadInput("yolo_v4 is not on PATH: run this in a TAO 5 TF1 image (nvcr.io/nvidia/tao/tao-toolkit"
                       ":5.0.0-tf1.15.5 or your release's)")
    if code != 0:
        raise TaoFailed("yolo_v4 " + task + " exited " + str(code) + " (its log is above)")


def latest_checkpoint(results):
    """TAO saves results/weights/yolov4_<arch>_epoch_<NNN>.hdf5 (yolov4_model.py build_savers)."""
    weights = os.path.join(results, "weights")
    found = []
    for name in os.listdir(weights) if os.path.isdir(weights) else []:
        m = re.fullmatch(r"yolov4_.*_epoch_(\d+)\.(hdf5|tlt)", name)
        if m:
            found.append((int(m.group(1)), name))
    if not found:
        raise TaoFailed("yolo_v4 train wrote no checkpoint under " + weights)
    return os.path.join(weights, max(found)[1])


def last_map(status_file):
    """The last mAP in TAO's status.json: one JSON object a line, kpi {"mean average precision": "0.61"}."""
    found = None
    try:
        with open(status_file, encoding="utf-8") as f:
            for line in f:
                try:
                    value = float(json.loads(line).get("kpi", {}).get("mean average precision", "nan"))
                except (ValueError, AttributeError):
                    continue
                if value == value:  # TAO logs nan on epochs it did not validate
                    found = value
    except OSError:
        pass
    return found


def map_name(spec_text):
    m = re.search(r"matching_iou_threshold\s*:\s*([0-9.]+)", spec_text)
    iou = float(m.group(1)) if m else 0.5
    return "mAP" + str(int(round(iou * 100)))


def terminate(result):
    path = os.environ.get("WINNOW_TERMINATION_LOG") or "/dev/termination-log"
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(result, separators=(",", ":")))


# ---- the steps ----

def train(work):
    check_contract()
    if env("WINNOW_LABELS_FORMAT") != "Kitti":
        raise BadInput("WINNOW_LABELS_FORMAT is " + env("WINNOW_LABELS_FORMAT") + "; TAO trains on Kitti labels")
    base = base_spec()
    ids = read_ids(local(env("WINNOW_TRAIN_IDS"), "WINNOW_TRAIN_IDS"), "WINNOW_TRAIN_IDS")
    if not ids:
        raise BadInput("WINNOW_TRAIN_IDS is empty: nothing is labeled yet")
    labels = local(env("WINNOW_LABELS_URI"), "WINNOW_LABELS_URI")
    val = env("TAO_VAL_DIR")
    for sub in ("images", "labels"):
        if not os.path.isdir(os.path.join(val, sub)):
            raise BadInput("TAO_VAL_DIR " + val + " has no " + sub + "/ folder (a KITTI folder TAO validates on)")

    # the labeled subset as a KITTI folder of symlinks, then TFRecords as TAO's YOLOv4 notebooks make them
    data = os.path.join(work, "train")
    ext = link_images(ids, image_files(local(env("WINNOW_DATASET_URI"), "WINNOW_DATASET_URI")),
                      os.path.join(data, "images"), one_extension=True)
    os.makedirs(os.path.join(data, "labels"))
    for sample in ids:
        label = os.path.join(labels, sample + ".txt")
        if not os.path.isfile(label):
            raise BadInput("training id '" + sample + "' has no label file " + label)
        os.symlink(label, os.path.join(data, "labels", sample + ".txt"))
    convert = write(os.path.join(work, "dataset_convert.txt"), "\n".join([
        "kitti_config {",
        "  root_directory_path: " + quoted(data),
        '  image_dir_name: "images"',
        '  label_dir_name: "labels"',
        "  image_extension: " + quoted(ext),
        '  partition_mode: "random"',
        "  num_partitions: 2",
        "  val_split: 0",  # TAO validates on TAO_VAL_DIR, not on a share of the labels
        "  num_shards: 10",
        "}",
        "image_directory_path: " + quoted(data), ""]))
    tfrecords = os.path.join(work, "tfrecords", "train")
    yolo_v4("dataset_convert", ["-d", convert, "-o", tfrecords, "-r", os.path.join(work, "convert")])

    resume = os.environ.get("WINNOW_RESUME_FROM", "").strip()
    pretrained = os.environ.get("TAO_PRETRAINED", "").strip()
    model = None
    if resume:
        model = ("resume", local(resume, "WINNOW_RESUME_FROM"))
    elif pretrained:
        model = ("pretrained", pretrained)
    spec_text = experiment_spec(base,
                                [[("tfrecords_path", tfrecords + "*"), ("image_directory_path", data)]],
                                [[("label_directory_path", os.path.join(val, "labels")),
                                  ("image_directory_path", os.path.join(val, "images"))]], ext, model)
    spec = write(os.path.join(work, "train-spec.txt"), spec_text)
    results = os.path.join(work, "results")
    args = ["-e", spec, "-r", results]
    if env("TAO_GPUS", "1") != "1":
        args += ["--gpus", env("TAO_GPUS")]
    yolo_v4("train", args)

    # the checkpoint, with the spec and TAO's logs for people, into the run's model/ folder
    checkpoint = latest_checkpoint(results)
    out_uri = env("WINNOW_CHECKPOINT_OUT")
    out = local(out_uri, "WINNOW_CHECKPOINT_OUT")
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(checkpoint, os.path.join(out, os.path.basename(checkpoint)))
    shutil.copyfile(spec, os.path.join(out, "train-spec.txt"))
    for name in ("status.json", "model_output_labels.txt"):
        if os.path.isfile(os.path.join(results, name)):
            shutil.copyfile(os.path.join(results, name), os.path.join(out, name))
    metrics = {}
    m_ap = last_map(os.path.join(results, "status.json"))
    if m_ap is None:
        print("no mAP in " + results + "/status.json: did validation run (eval_config, checkpoint_interval)?",
              file=sys.stderr)
    else:
        metrics[map_name(spec_text)] = m_ap
    terminate({"metrics": metrics, "checkpoint": within(out_uri, os.path.basename(checkpoint)),
               "trained": len(ids)})


def infer(work):
    check_contract()
    base = base_spec()
    shards = integer("WINNOW_SHARDS", "1")
    shard = integer("JOB_COMPLETION_INDEX", "0")
    if not 0 <= shard < shards:
        raise BadInput("need 0 <= JOB_COMPLETION_INDEX < WINNOW_SHARDS, got " + str(shard) + " of " + str(shards))
    every = read_ids(local(env("WINNOW_PREDICT_IDS"), "WINNOW_PREDICT_IDS"), "WINNOW_PREDICT_IDS")
    # contiguous ranges, as Winnow's worker cuts them, so parts 0..S-1 concatenate to the id order
    ids = every[len(every) * shard // shards: len(every) * (shard + 1) // shards]
    checkpoint = local(env("WINNOW_CHECKPOINT"), "WINNOW_CHECKPOINT")
    if os.path.isdir(checkpoint):  # a trainer that reported no file: its model/ folder
        checkpoint = max((os.path.join(checkpoint, n) for n in os.listdir(checkpoint)
                          if n.endswith((".hdf5", ".tlt"))), default=None)
        if checkpoint is None:
            raise BadInput("WINNOW_CHECKPOINT " + env("WINNOW_CHECKPOINT") + " holds no .hdf5 or .tlt model")
    if "embeddings" in env("WINNOW_OUTPUTS", "") or "probabilities" in env("WINNOW_OUTPUTS", ""):
        print("TAO's inference writes boxes only; strategies on class probabilities or embeddings need "
              "another source (WINNOW_OUTPUTS=" + env("WINNOW_OUTPUTS") + ")", file=sys.stderr)

    images = os.path.join(work, "predict", "images")
    ext = link_images(ids, image_files(local(env("WINNOW_DATASET_URI"), "WINNOW_DATASET_URI")), images,
                      one_extension=False)
    # inference reads the spec for the classes, input size and NMS; the spec loader insists on data sources
    empty_labels = os.path.join(work, "predict", "labels")
    os.makedirs(empty_labels)
    spec = write(os.path.join(work, "infer-spec.txt"), experiment_spec(
        base, [[("label_directory_path", empty_labels), ("image_directory_path", images)]], [], ext))
    results = os.path.join(work, "predict", "results")
    yolo_v4("inference", ["-m", checkpoint, "-i", images, "-e", spec, "-r", results,
                          "-t", env("TAO_THRESHOLD", "0.1")])

    out_uri = env("WINNOW_PREDICTIONS_OUT")
    if shards > 1:
        out_uri = within(out_uri, "part-" + str(shard)) + "/"
    out = local(out_uri, "WINNOW_PREDICTIONS_OUT")
    os.makedirs(os.path.join(out, "labels"), exist_ok=True)
    names = {c.lower(): c for c in classes()}
    detections = []
    for sample in ids:
        boxes = kitti_boxes(os.path.join(results, "labels", sample + ".txt"), names)
        with open(os.path.join(out, "labels", sample + ".txt"), "w", encoding="utf-8") as f:
            f.writelines(" ".join(fields) + "\n" for fields in boxes)
        detections.append({"id": sample, "boxes": [
            {"label": b[0], "score": float(b[15]), "bbox": [float(v) for v in b[4:8]]} for b in boxes]})
    with open(os.path.join(out, "ids.txt"), "w", encoding="utf-8") as f:
        f.writelines(sample + "\n" for sample in ids)
    if shards > 1:
        # Winnow reads a KITTI folder only from an unsharded run; across part-<i>/ it reads detections.jsonl
        with open(os.path.join(out, "detections.jsonl"), "w", encoding="utf-8") as f:
            f.writelines(json.dumps(d) + "\n" for d in detections)
    terminate({"predictions": out_uri, "count": len(ids), "shard": shard, "shards": shards})


def kitti_boxes(path, names):
    """TAO's KITTI lines for one image, its lowercased class names mapped back to WINNOW_CLASSES."""
    if not os.path.isfile(path):
        raise TaoFailed("yolo_v4 inference wrote no " + path + " (it writes one file per image, empty when it "
                        "found nothing)")
    boxes = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            try:
                numbers = [float(v) for v in fields[1:]]
            except ValueError:
                numbers = []
            if len(fields) != KITTI_COLUMNS or fields[0] not in names or len(numbers) != KITTI_COLUMNS - 1 \
                    or not 0 <= numbers[-1] <= 1:
                raise TaoFailed(path + " line " + str(n) + ": expected a class of WINNOW_CLASSES and "
                                + str(KITTI_COLUMNS - 1) + " numbers ending in a score in [0, 1], got " + line.strip())
            fields[0] = names[fields[0]]
            boxes.append(fields)
    return boxes


def main():
    step = os.environ.get("WINNOW_STEP", "")
    steps = {"train": train, "infer": infer}
    given = os.environ.get("TAO_WORK_DIR", "").strip()
    work = given or tempfile.mkdtemp(prefix="winnow-tao-")
    try:
        if step not in steps:
            raise BadInput("WINNOW_STEP is '" + step + "'; this entrypoint runs train and infer")
        steps[step](work)
        return 0
    except BadInput as e:
        code, message = 2, str(e)
    except TaoFailed as e:
        code, message = 1, str(e)
    finally:
        if not given:
            shutil.rmtree(work, ignore_errors=True)
    print(message, file=sys.stderr)
    try:
        terminate({"error": message})
    except OSError:
        pass
    return code


if __name__ == "__main__":
    sys.exit(main())
