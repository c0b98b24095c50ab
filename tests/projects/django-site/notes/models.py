from django.db import models


# expect: migrations-missing
class Note(models.Model):
    body = models.TextField()


class Tag(models.Model):
    name = models.CharField(max_length=50)
