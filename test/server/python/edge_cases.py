"""Edge cases for the language server tests, against the flowyml-1.7-basic store.

Names reach the calls through constants, f-strings of constants and `+`;
calls span several lines; some lines put emoji and CJK text before a name.
"""

import flowyml
from flowyml import Dataset, Metrics, Model, Pipeline, Prompt, step
from datasets import Dataset as HFDataset

PREFIX = "iris"
RAW_NAME = "iris_raw"
TRAIN_NAME = f"{PREFIX}_train"
TEST_NAME = PREFIX + "_test"
EVAL_OUTPUTS = ["metrics"]
PIPELINE_NAME = "iris_training"


@step(
    inputs=["data/raw"],
    outputs=[
        "data/train",
        "data/test",
    ],
)
def preprocess(raw):
    train = flowyml.Dataset.create(
        data=raw,
        name=TRAIN_NAME,
    )
    test = Dataset.create(data=raw, name=TEST_NAME)
    return train, test


@step(inputs=["model/logreg", "data/test"], outputs=EVAL_OUTPUTS)
def evaluate(model, test):
    return Metrics.create(name="iris_eval", accuracy=1.0)


@step
def untracked_step():
    return None


def notes(model_version):
    label = "😀 日本語のラベル"; raw = Dataset.create(data={}, name=RAW_NAME)  # 🚀 after
    emoji = "🧪🧪"; again = Dataset.create(data={}, name="iris_raw")
    unknown = Dataset.create(data={}, name="never_recorded")
    computed = Model.create(data=None, name=f"iris_{model_version}")
    foreign = HFDataset.from_dict({"a": [1]})
    prompt = Prompt(
        name="summary_prompt",
        template="Summarize {text} in {n} words.",
    )
    return label, raw, emoji, again, unknown, computed, foreign, prompt


pipe = Pipeline(PIPELINE_NAME)
pipe.add_step(preprocess).add_step(evaluate)
