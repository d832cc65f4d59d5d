"""The language-model runtime (llama.cpp, remote host), the catalog and the training pipelines."""
