"""Training pipeline: data generation, reasoning fine-tuning, distillation, export, evaluation.

Never imported at app start-up. The torch / transformers / peft imports live only in the
modules that need them (``loop``, ``distill``, ``export``, ``personalize``, ``evaluate``);
``scenarios``, ``describe``, ``prompts`` and ``data`` are pure Python.
"""
