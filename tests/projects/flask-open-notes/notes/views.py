from flask import Blueprint, jsonify, request

from notes.store import NOTES

notes_blueprint = Blueprint("notes", __name__)


# Reads are not marked: the app's finding says nothing authenticates.
@notes_blueprint.route("/", methods=["GET"])
def list_notes():
    return jsonify(list(NOTES.values()))


@notes_blueprint.route("/<int:note_id>")
def read_note(note_id):
    return jsonify(NOTES[note_id])


# expect: missing-authentication
@notes_blueprint.route("/", methods=["POST"])
def create_note():
    note = request.get_json()
    NOTES[note["id"]] = note
    return jsonify(note), 201


# A form page that reads on GET and writes on POST.
# expect: missing-authentication
@notes_blueprint.route("/<int:note_id>/edit", methods=["GET", "POST"])
def edit_note(note_id):
    if request.method == "POST":
        NOTES[note_id] = request.get_json()
    return jsonify(NOTES[note_id])


# expect: missing-authentication
@notes_blueprint.route("/<int:note_id>", methods=("DELETE",))
def delete_note(note_id):
    NOTES.pop(note_id, None)
    return "", 204
