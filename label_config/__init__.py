"""Label Studio XML configs shipped with the workbench (installed as workbench.label_config)."""
