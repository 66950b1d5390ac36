using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// Mixed_7b/7c: 1×1, split 3×3 (1×3 and 3×1 side by side) and double split 3×3 branches plus a pool branch on
/// 8×8 maps; output 320 + 768 + 768 + 192 = 2048 channels. pytorch-fid's TF 2015 port differs between the two:
/// FIDInceptionE_1 (Mixed_7b) average-pools without counting padding, FIDInceptionE_2 (Mixed_7c) max-pools.
/// </summary>
internal sealed class InceptionBlockE : InceptionBlock
{
    private readonly bool maxPoolBranch;
    private readonly InceptionConvolution branch1x1, branch3x3First, branch3x3SplitRow, branch3x3SplitColumn;
    private readonly InceptionConvolution branch3x3DoubleFirst, branch3x3DoubleSecond, branch3x3DoubleSplitRow, branch3x3DoubleSplitColumn;
    private readonly InceptionConvolution branchPool;

    public InceptionBlockE(long inputChannels, bool maxPoolBranch) : base(maxPoolBranch ? "FIDInceptionE_2" : "FIDInceptionE_1")
    {
        this.maxPoolBranch = maxPoolBranch;
        (long, long) row = (1, 3), column = (3, 1), rowPadding = (0, 1), columnPadding = (1, 0);
        branch1x1 = Unit("branch1x1", inputChannels, 320, Square(1));
        branch3x3First = Unit("branch3x3_1", inputChannels, 384, Square(1));
        branch3x3SplitRow = Unit("branch3x3_2a", 384, 384, row, padding: rowPadding);
        branch3x3SplitColumn = Unit("branch3x3_2b", 384, 384, column, padding: columnPadding);
        branch3x3DoubleFirst = Unit("branch3x3dbl_1", inputChannels, 448, Square(1));
        branch3x3DoubleSecond = Unit("branch3x3dbl_2", 448, 384, Square(3), padding: Square(1));
        branch3x3DoubleSplitRow = Unit("branch3x3dbl_3a", 384, 384, row, padding: rowPadding);
        branch3x3DoubleSplitColumn = Unit("branch3x3dbl_3b", 384, 384, column, padding: columnPadding);
        branchPool = Unit("branch_pool", inputChannels, 192, Square(1));
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var split = branch3x3First.call(input);
        var doubleSplit = branch3x3DoubleSecond.call(branch3x3DoubleFirst.call(input));
        var pooled = maxPoolBranch
            ? max_pool2d(input, 3, stride: 1, padding: 1)
            : avg_pool2d(input, [3, 3], [1, 1], [1, 1], count_include_pad: false);
        return cat([
            branch1x1.call(input),
            branch3x3SplitRow.call(split), branch3x3SplitColumn.call(split),
            branch3x3DoubleSplitRow.call(doubleSplit), branch3x3DoubleSplitColumn.call(doubleSplit),
            branchPool.call(pooled),
        ], 1).MoveToOuterDisposeScope();
    }
}
