// Reports the libcurl it is linked against and sorts the words of a sentence (C++ with make).
#include <curl/curl.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main() {
    std::istringstream in("zeta alpha gamma beta");
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    std::sort(words.begin(), words.end());
    std::cout << "sorted:";
    for (const auto& word : words) std::cout << ' ' << word;
    std::cout << "\n";
    curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    std::cout << "linked: libcurl " << (info->features & CURL_VERSION_SSL ? "with" : "without")
              << " TLS\n";
    return 0;
}
