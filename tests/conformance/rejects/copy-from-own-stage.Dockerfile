FROM scratch AS build
COPY --from=build /a /b
