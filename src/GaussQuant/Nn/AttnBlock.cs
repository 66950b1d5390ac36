using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// Single-head self-attention over the H·W positions (row-major tokens) with scale 1/√C, from 1×1-conv projections
/// of the normalised input; the residual adds the un-normalised input. Shape (B, C, H, W) → (B, C, H, W).
/// Queries are attended in chunks whose L-wide score rows take at most <see cref="ChunkBytes"/> per image, so memory
/// stays bounded at any grid (a 512×512 latent would otherwise ask for hundreds of GiB); each query's softmax sees
/// every key either way, so chunking changes nothing but the order of independent rows.
/// </summary>
public sealed class AttnBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Bytes of float32 attention scores one image's query chunk may take (the default of the constructor's limit).</summary>
    public const long ChunkBytes = 256L << 20;

    private readonly long scoreBytes;

    [ComponentName(Name = "norm")]
    private readonly GroupNorm norm;
    [ComponentName(Name = "q")]
    private readonly Conv2d query;
    [ComponentName(Name = "k")]
    private readonly Conv2d key;
    [ComponentName(Name = "v")]
    private readonly Conv2d value;
    [ComponentName(Name = "proj_out")]
    private readonly Conv2d projection;

    /// <param name="scoreBytes">Bytes of scores per image and query chunk (tests make it small to force chunking).</param>
    public AttnBlock(long channels, Device? device = null, long scoreBytes = ChunkBytes) : base(nameof(AttnBlock))
    {
        if (scoreBytes < sizeof(float))
            throw new ArgumentException($"the attention score budget must hold at least one score, not {scoreBytes} bytes");
        this.scoreBytes = scoreBytes;
        norm = Normalize.Create(channels, device);
        query = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        key = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        value = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        projection = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        var normalised = norm.call(input);
        Tensor Tokens(Tensor map) => map.reshape(batch, 1, channels, height * width).transpose(2, 3);
        var queries = Tokens(query.call(normalised));
        var keys = Tokens(key.call(normalised));
        var values = Tokens(value.call(normalised));
        long length = height * width;
        long chunk = Math.Max(1, scoreBytes / (sizeof(float) * length));
        // Fused kernel (default scale 1/√C); it may still materialise a chunk's score rows, hence the chunks.
        var attended = chunk >= length
            ? nn.functional.scaled_dot_product_attention(queries, keys, values)
            : cat(queries.split(chunk, dim: 2).Select(part => nn.functional.scaled_dot_product_attention(part, keys, values)).ToArray(), dim: 2);
        var map = attended.transpose(2, 3).reshape(batch, channels, height, width);
        return scope.MoveToOuter(input + projection.call(map));
    }
}
