"""`make bench`: page weight and speed of the public referral journey, each beside its target."""
