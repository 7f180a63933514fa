# Viml's web app in a container: Debian 12 with ffmpeg, running `viml serve` from the self-contained release.
#   bash scripts/publish                 # writes dist/viml/ (needs the .NET SDK here, not in the image)
#   docker build -t viml .
#   docker run --rm -p 5117:5117 -v "$PWD/my-catalog:/data/catalog" -v "$PWD/runs/viml/best:/data/model:ro" \
#       -v /music:/music:ro viml
# A catalog stores its tracks' absolute paths: mount the music at the path it was added from (here /music),
# or build the catalog inside the container: docker run ... viml catalog add /music --catalog /data/catalog --model /data/model
FROM debian:12-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates libstdc++6 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/viml viml \
 && mkdir -p /data && chown viml /data

COPY dist/viml/ /opt/viml/
RUN ln -s /opt/viml/Viml.Cli /usr/local/bin/viml && /opt/viml/Viml.Cli --version

USER viml
WORKDIR /data
EXPOSE 5117
ENTRYPOINT ["viml"]
CMD ["serve", "--host", "0.0.0.0", "--port", "5117", "--catalog", "/data/catalog", "--model", "/data/model"]
