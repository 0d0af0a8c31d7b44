"""Review (人工核查): inspectors confirm or dismiss findings, add what no machine can
judge, and the verdict is recomputed from what they confirmed. Everything audited."""
