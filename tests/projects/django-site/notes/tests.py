from django.test import TestCase


class NoteTests(TestCase):
    def test_nothing_yet(self):
        self.assertTrue(True)
