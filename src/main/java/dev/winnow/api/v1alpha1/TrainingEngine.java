package dev.winnow.api.v1alpha1;

/** What runs a train step. */
public enum TrainingEngine {
    /** A batch/v1 Job: one pod, Winnow's own trainer or any image. */
    Job,
    /** Kubeflow training operator's PyTorchJob (kubeflow.org/v1): a master and workers. */
    PyTorchJob,
    /** Kubeflow Trainer's TrainJob (trainer.kubeflow.org/v1alpha1): nodes of a training runtime. */
    TrainJob
}
