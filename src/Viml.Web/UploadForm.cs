using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Viml.Web;

/// <summary>
/// A recommend form read straight from the request body, part by part: its fields (at most
/// <see cref="MaxFields"/>, each at most <see cref="MaxFieldBytes"/>) and its <c>video</c> file, judged by its
/// first bytes and written only into the <see cref="UploadFolder"/> (0600, locked, deleted on dispose), never
/// buffered elsewhere. Throws
/// <see cref="FormException"/> for what the client got wrong; the reader's own errors go to <see cref="FormErrors"/>.
/// </summary>
public sealed class UploadForm : IAsyncDisposable
{
    public const int MaxFields = 1024;
    public const int MaxFieldBytes = 64 * 1024;

    public IFormCollection Fields { get; }
    /// <summary>The stored video, if the form had one.</summary>
    public Upload? Video { get; }

    UploadForm(IFormCollection fields, Upload? video) { Fields = fields; Video = video; }

    public static async Task<UploadForm> ReadAsync(HttpRequest request, UploadFolder folder, CancellationToken ct)
    {
        var type = MediaTypeHeaderValue.Parse(request.ContentType);
        if (!type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new FormException(400, "send multipart/form-data with a 'video' file and/or a 'text' field");
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
        if (boundary.Length is 0 or > 70) throw new FormException(400, "multipart/form-data without a valid boundary");
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        int count = 0;
        Upload? video = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (++count > MaxFields) throw new FormException(400, $"form: more than {MaxFields} fields (the limit on form fields)");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd)
                    || !cd.DispositionType.Equals("form-data"))
                    throw new FormException(400, "form: a part without a 'form-data' Content-Disposition");
                string name = HeaderUtilities.RemoveQuotes(cd.Name).Value ?? "";
                if (cd.IsFileDisposition())
                {
                    if (name != "video") continue;   // other files are skipped unread
                    if (video != null) throw new FormException(400, "video: more than one file");
                    video = await Store(section.Body, folder, ct);
                }
                else
                {
                    if (!fields.TryGetValue(name, out var values)) fields[name] = values = [];
                    values.Add(await ReadField(name, section.Body, ct));
                }
            }
        }
        catch
        {
            if (video != null) await video.DisposeAsync();
            throw;
        }
        return new UploadForm(new FormCollection(fields.ToDictionary(kv => kv.Key, kv => new StringValues(kv.Value.ToArray()))), video);
    }

    static async Task<string> ReadField(string name, Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        int n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        if (n > MaxFieldBytes) throw new FormException(400, $"{name}: longer than {MaxFieldBytes / 1024} KiB (the limit on a form field)");
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Sniffs the first bytes (empty: 400; not a video container: 415), then writes the file into the upload folder.</summary>
    static async Task<Upload> Store(Stream body, UploadFolder folder, CancellationToken ct)
    {
        var head = new byte[VideoSniffer.HeaderLength];
        int n = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (n == 0) throw new FormException(400, "video: the file is empty");
        if (VideoSniffer.Sniff(head.AsSpan(0, n)) is null)
            throw new FormException(415, "video: not a video container Viml reads " +
                "(MP4/MOV, WebM/MKV, AVI, MPEG-TS/PS, FLV, Ogg, ASF), judged by its content");
        var upload = folder.Create();
        try
        {
            await upload.Stream.WriteAsync(head.AsMemory(0, n), ct);
            await body.CopyToAsync(upload.Stream, ct);
            await upload.Stream.FlushAsync(ct);
            return upload;
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Video != null) await Video.DisposeAsync();
    }
}
