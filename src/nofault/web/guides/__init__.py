"""The organisation's guide: values and principles edited here, built by nofault.core.guide."""
