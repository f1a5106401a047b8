// A native addon: the Adler-32 checksum of a string, through node-addon-api.
#include <napi.h>

#include <cstdint>
#include <string>

static Napi::Value Adler32(const Napi::CallbackInfo& info) {
  std::string data = info[0].As<Napi::String>().Utf8Value();
  uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return Napi::Number::New(info.Env(), (b << 16) | a);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("adler32", Napi::Function::New(env, Adler32));
  return exports;
}

NODE_API_MODULE(adler32, Init)
