"""Reviews: every incident owes its review (policy, waivers, coverage) and follow-through."""
