using System.Buffers.Binary;
using System.Text;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Tokens;
using GaussQuant.Experiments;

namespace GaussQuant.Fuzz;

/// <summary>
/// The formats gq reads, each with seeds from the repository's fixtures and configs (tokens and manifests are made
/// here for the small fixture model) and the readers gq runs on such a file.
/// </summary>
internal static class FuzzFormats
{
    public static readonly string[] Names = ["png", "jpeg", "webp", "bmp", "npy", "json", "safetensors", "zip", "pickle", "yaml"];

    /// <param name="repository">The repository root (it holds tests/fixtures and configs).</param>
    public static FuzzFormat Create(string name, string repository)
    {
        string Fixture(string folder, string file) => Path.Combine(repository, "tests", "fixtures", folder, file);
        byte[][] Fixtures(string folder, params string[] files) => [.. files.Select(file => File.ReadAllBytes(Fixture(folder, file)))];
        var model = new Lazy<Autoencoder>(() => ModelFactory.Create(ExperimentLoader.Load(Fixture("config", "small_model.yaml")).Model));

        return name switch
        {
            "png" => new FuzzFormat(name, ".png",
                Fixtures("imaging", "rgb.png", "rgba.png", "gray.png", "gray_alpha.png", "palette_transparent.png", "rgb16.png", "gray16.png"),
                Ascii("IHDR", "IDAT", "IEND", "PLTE", "tRNS", "gAMA", "iCCP", "acTL", "fcTL", "\0\0\0\0", "\u00ff\u00ff\u00ff\u00ff"),
                DecodeImage, RepairPngChunks),
            "jpeg" => new FuzzFormat(name, ".jpg", Fixtures("imaging", "baseline.jpg", "progressive.jpg", "gray.jpg", "cmyk.jpg"),
                Bytes([0xFF, 0xD8], [0xFF, 0xC0], [0xFF, 0xC2], [0xFF, 0xC4], [0xFF, 0xDA], [0xFF, 0xD9], [0xFF, 0xDD, 0x00, 0x04], [0xFF, 0xDB]),
                DecodeImage),
            "webp" => new FuzzFormat(name, ".webp", Fixtures("imaging", "lossy.webp", "lossless_alpha.webp"),
                Ascii("RIFF", "WEBP", "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "\u00ff\u00ff\u00ff\u007f"), DecodeImage),
            "bmp" => new FuzzFormat(name, ".bmp", Fixtures("imaging", "rgb.bmp"), Ascii("BM", "\u0028\0\0\0", "\u007c\0\0\0", "\0\0\0\u0080"), DecodeImage),
            "npy" => new FuzzFormat(name, ".npy", [Tokens([2, 2, 4, 4]), Tokens([1, 2, 8, 6])],
                Ascii("'descr': '<i8'", "'<f4'", "'|u1'", "'>i8'", "'fortran_order': True", "(2147483653, 2, 1, 1)", "(1, 2, 16, 16777216)",
                    "(-1,)", "()", ", ", "18446744073709551616", "\n"),
                path => ReadTokens(path, model.Value), ReshapeTokens, GrowToDeclaredLength),
            "json" => new FuzzFormat(name, ".json", [Manifest(2, [2, 4, 4])],
                Ascii("{", "}", "[", "]", ",", ":", "null", "true", "1e309", "-1", "2147483648", "\"\\u0000\"", "\"inputs\"", "\"latent_shape\"",
                    "\"codebook\"", "\"version\"", "\"skipped\"", "\"../../x\"", "\"\"", "\"\\ud800\""),
                path => ReadManifest(path, model.Value)),
            "safetensors" => new FuzzFormat(name, ".safetensors",
                [File.ReadAllBytes(Fixture("safetensors", "small.safetensors")), Weights(model.Value)],
                Ascii("\"__metadata__\"", "null", "\"data_offsets\"", "[0, 4]", "[4]", "\"dtype\"", "\"F32\"", "\"BF16\"", "\"I64\"", "\"shape\"",
                    "[1, 2305843009213693952]", "[]", "{}", "\"\\ud800\"", "\u00ff"),
                Inspect),
            "zip" => new FuzzFormat(name, ".ckpt",
                Fixtures("checkpoints", "lightning.ckpt", "state_dict.pth", "state_dict_protocol4.pt", "view_outside_storage.ckpt"),
                [.. Ascii("PK\u0001\u0002", "PK\u0003\u0004", "PK\u0005\u0006", "data.pkl", "byteorder", "cos\nsystem\n", "c__builtin__\neval\n"),
                    [0x8A, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x20], [0x4A, 0xFF, 0xFF, 0xFF, 0x7F]],
                Inspect),
            "pickle" => new FuzzFormat(name, ".pth",
                Fixtures("checkpoints", "legacy.pth", "legacy_storage_views.pth", "legacy_whole_module.pth", "list_of_ints.pkl"),
                [.. Ascii("cos\nsystem\n", "ctorch._utils\n_rebuild_tensor_v2\n", "(", "R", "b", "t", ")", "}", "]", ".", "q\u0000", "h\u0000"),
                    [0x8A, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x20], [0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]],
                Inspect),
            "yaml" => new FuzzFormat(name, ".yaml",
                [File.ReadAllBytes(Path.Combine(repository, "configs", "cifar32_k4096.yaml")),
                    .. Fixtures("config", "small_model.yaml", "interpolation.yaml", "merge_keys.yaml", "scalars.yaml"), InterpolationChains()],
                Ascii("${", "}", "${model}", "${..x}", "\\${", ": ", "\n", "\n  ", "- ", "[", "]", "{", "&a ", "*a", "<<: *a", "!!binary ",
                    "!!python/object/apply:os.system ", ".nan", ".inf", "-.inf", "1e309", "99999999999999999999", "1073741824", "-1", "0", "null",
                    "'", "\"", "|", ">", "#", "---\n", "? ", "\t", "\u00ff"),
                LoadConfig),
            _ => throw new ArgumentException($"unknown format '{name}'; the formats are {string.Join(", ", Names)}"),
        };
    }

    private static void DecodeImage(string path) => ImagePreprocessing.ResizeCenterCrop(32).Apply(ImageDecoder.Decode(path), path);

    private static void Inspect(string path) => ModelInspector.Inspect(null, path);

    private static void LoadConfig(string path) => ExperimentLoader.FromTree(ConfigLoader.LoadTree(path), path);

    /// <summary>
    /// The whole-array reader, which holds the file in memory and so only gets files of a few MiB (it reads codebooks),
    /// then a decode with the small model, whose checks read every token.
    /// </summary>
    private static void ReadTokens(string path, Autoencoder model)
    {
        if (new FileInfo(path).Length <= 16 << 20) NpyFile.Read(path);
        Decode(model, path);
    }

    /// <summary>The manifest reader, then a decode of valid tokens beside the manifest.</summary>
    private static void ReadManifest(string path, Autoencoder model)
    {
        TokenManifest.Read(path);
        string tokens = Path.ChangeExtension(path, ".npy");
        File.WriteAllBytes(tokens, Tokens([2, 2, 4, 4]));
        Decode(model, tokens);
    }

    /// <summary>
    /// A decode that stops after <see cref="DecodeBound"/>: a valid tokens file may hold tens of thousands of images (a
    /// grown sparse file of 65,536 did), and decoding them is work, not a hang. Stopping through the pipeline's own
    /// cancellation counts as read; a loop that ignores cancellation still shows as a hang at the case timeout.
    /// </summary>
    private static void Decode(Autoencoder model, string tokens)
    {
        using var bound = new CancellationTokenSource(DecodeBound);
        try
        {
            DetokenizePipeline.Run(model, new DetokenizeOptions { TokensPath = tokens, OutputFolder = Path.Combine(Path.GetDirectoryName(tokens)!, "out") },
                cancellation: bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
        }
    }

    private static readonly TimeSpan DecodeBound = TimeSpan.FromSeconds(5);

    private static readonly long[] HostileSides = [0, 1, 2, 3, 4, 16, 255, 256, 4096, 65536, 1 << 24, (1L << 31) + 5, 1L << 40];

    /// <summary>Now and then gives the tokens a new header with a random, often huge, shape (the data bytes stay).</summary>
    private static byte[] ReshapeTokens(byte[] npy, Random random)
    {
        if (npy.Length < 10 || random.Next(3) != 0) return npy;
        int dataStart = Math.Min(npy.Length, 10 + BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8)));
        var shape = Enumerable.Range(0, random.Next(1, 6)).Select(_ => HostileSides[random.Next(HostileSides.Length)]).ToArray();
        string text = $"{{'descr': '<i8', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}";
        text = text.PadRight((text.Length + 11) / 64 * 64 + 63 - 10) + "\n";
        byte[] header = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)text.Length, (byte)(text.Length >> 8)];
        return [.. header, .. Encoding.Latin1.GetBytes(text), .. npy.AsSpan(dataStart)];
    }

    /// <summary>
    /// Makes a token file as long as its (mutated) header says, with a sparse tail, so that huge declared shapes get past
    /// the length check to the code that sizes reads and decodes by them. Shapes beyond 1 TiB are left as they are.
    /// </summary>
    private static void GrowToDeclaredLength(string path)
    {
        byte[] head = new byte[Math.Min(new FileInfo(path).Length, 4096)];
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.ReadExactly(head);
        if (head.Length < 10 || head[6] != 1) return;
        int dataStart = 10 + BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8));
        var shape = System.Text.RegularExpressions.Regex.Match(Encoding.Latin1.GetString(head), @"'shape'\s*:\s*\(([0-9, ]*)\)");
        if (!shape.Success) return;
        double bytes = 8;
        foreach (string side in shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            bytes *= double.TryParse(side, System.Globalization.CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
        if (bytes is >= 0 and <= 1L << 40) file.SetLength(dataStart + (long)bytes);
    }

    /// <summary>
    /// A config of a 1,200-link interpolation chain (beyond the bound; mutations that cut it make shorter ones) and of
    /// strings that double at each step.
    /// </summary>
    private static byte[] InterpolationChains()
    {
        var yaml = new StringBuilder();
        for (int link = 0; link < 1200; link++) yaml.Append($"k{link}: ${{k{link + 1}}}\n");
        yaml.Append("k1200: end\ns0: abcdefgh\n");
        for (int level = 1; level <= 12; level++) yaml.Append($"s{level}: ${{s{level - 1}}}${{s{level - 1}}}\n");
        return Encoding.UTF8.GetBytes(yaml.ToString());
    }

    /// <summary>A tokens file in the small model's range (K = 256).</summary>
    private static byte[] Tokens(long[] shape)
    {
        string path = Path.GetTempFileName();
        try
        {
            long count = shape.Aggregate(1L, (product, side) => product * side);
            NpyFile.Write<long>(path, Enumerable.Range(0, (int)count).Select(value => (long)(value * 37 % 256)).ToArray(), shape);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    private static byte[] Manifest(int images, int[] latentShape)
    {
        var manifest = new TokenManifest
        {
            Inputs = [.. Enumerable.Range(0, images).Select(index => $"photos/picture{index}.png")],
            Config = "small_model.yaml",
            Checkpoint = "model.safetensors",
            Codebook = new ManifestCodebook(4, 256, 42, 1.0),
            CodebookCount = latentShape[0],
            LatentShape = latentShape,
            Preprocessing = ResizeMode.ResizeCenterCrop,
            Resize = 8,
            ImageSize = [8, 8],
            Skipped = [new SkippedInput("photos/broken.png", "cannot decode")],
        };
        string path = Path.GetTempFileName();
        try
        {
            manifest.Write(path);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    private static byte[] Weights(Autoencoder model)
    {
        string path = Path.GetTempFileName();
        try
        {
            SafetensorsFile.Write(path, model.state_dict().Where(pair => pair.Key.StartsWith("decoder.conv_out", StringComparison.Ordinal))
                .ToDictionary(pair => pair.Key, pair => pair.Value), new Dictionary<string, string> { ["format"] = "pt" });
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    /// <summary>Recomputes every chunk's CRC, so that mutations get past libpng's checksum test to the decoder.</summary>
    private static byte[] RepairPngChunks(byte[] png, Random random)
    {
        for (int position = 8; position + 12 <= png.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            if (position + 12 + length > png.Length) break;
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(position + 8 + (int)length), Crc32.Of(png.AsSpan(position + 4, 4 + (int)length)));
            position += 12 + (int)length;
        }
        return png;
    }

    private static byte[][] Ascii(params string[] tokens) => [.. tokens.Select(token => Encoding.Latin1.GetBytes(token))];

    private static byte[][] Bytes(params byte[][] tokens) => tokens;
}
