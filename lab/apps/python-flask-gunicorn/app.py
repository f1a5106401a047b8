from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(app="flask", server="gunicorn", status="ok")


@app.get("/hello/<name>")
def hello(name):
    return f"Hello, {name}!\n"
