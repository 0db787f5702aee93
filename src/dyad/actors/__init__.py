"""Actors: the knowledge base of countries, organisations, sectors, people and offices, and the
resolution of actor mentions in parsed text."""
