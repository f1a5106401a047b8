// Reads greeting.txt from its working directory at run time and prints it from a worker
// thread: needs libstdc++ and the data file the build context put next to the program.
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

int main()
{
	std::ifstream file("greeting.txt");
	std::string greeting;
	if (!std::getline(file, greeting)) {
		std::cerr << "greet: cannot read greeting.txt\n";
		return 1;
	}
	std::thread worker([&] { std::cout << "greet: " << greeting << std::endl; });
	worker.join();
	return 0;
}
