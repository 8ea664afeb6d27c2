"""Rule packs: each subpackage registers its rules when imported."""
