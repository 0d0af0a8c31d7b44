"""The supervision platform (监管平台): Django apps by purpose, all scanning through the engine."""
