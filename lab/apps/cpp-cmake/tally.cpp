// Counts words in an in-memory SQLite database: C++ built with CMake, linked against the
// system libsqlite3.
#include <sqlite3.h>

#include <cstdio>
#include <string>

int main() {
    sqlite3 *db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        std::puts("cannot open the database");
        return 1;
    }
    const char *sql =
        "CREATE TABLE w(word TEXT);"
        "INSERT INTO w VALUES ('lab'),('cmake'),('lab'),('sqlite'),('lab');";
    char *error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::printf("error: %s\n", error);
        return 1;
    }
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT word, COUNT(*) FROM w GROUP BY word ORDER BY word", -1, &stmt,
                       nullptr);
    std::string out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        out += std::string(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0))) + "=" +
               std::to_string(sqlite3_column_int(stmt, 1)) + " ";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    std::printf("tally: %s\n", out.c_str());
    std::printf("sqlite %s\n", sqlite3_libversion());
    return 0;
}
