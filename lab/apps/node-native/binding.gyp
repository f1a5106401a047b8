{
  "targets": [
    {
      "target_name": "adler32",
      "sources": ["src/adler32.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS"]
    }
  ]
}
