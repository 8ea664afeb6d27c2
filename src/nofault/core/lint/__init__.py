"""The lint engine: rules, configuration, the engine itself and its reports."""
