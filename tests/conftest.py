pytest_plugins = ["govsite.samples.testing"]
