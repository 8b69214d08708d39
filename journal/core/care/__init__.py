"""Care around the writing: the practice toward concern, the safety check-in's rule and the
support resources, in our own words, shared by the app and the command line."""
