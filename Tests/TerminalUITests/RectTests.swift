import Testing
@testable import TerminalUI

@Suite struct RectTests {
    @Test func insetShrinksAndClampsAtZero() {
        let rect = Rect(x: 2, y: 1, width: 10, height: 5)
        #expect(rect.inset(by: 1) == Rect(x: 3, y: 2, width: 8, height: 3))
        #expect(rect.inset(horizontal: 2, vertical: 0) == Rect(x: 4, y: 1, width: 6, height: 5))
        #expect(rect.inset(by: 4).isEmpty)
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).width == 0)
    }

    @Test func splitsPartitionTheRectangle() {
        let rect = Rect(x: 0, y: 0, width: 20, height: 10)
        let (top, rest) = rect.splitTop(3)
        #expect(top == Rect(x: 0, y: 0, width: 20, height: 3))
        #expect(rest == Rect(x: 0, y: 3, width: 20, height: 7))
        let (body, bottom) = rect.splitBottom(1)
        #expect(bottom == Rect(x: 0, y: 9, width: 20, height: 1))
        #expect(body.height == 9)
        #expect(rect.splitRows([2, 3, 100]) == [
            Rect(x: 0, y: 0, width: 20, height: 2),
            Rect(x: 0, y: 2, width: 20, height: 3),
            Rect(x: 0, y: 5, width: 20, height: 5),
        ])
        #expect(rect.splitLeft(4).rest == Rect(x: 4, y: 0, width: 16, height: 10))
    }

    @Test func centeredAndIntersection() {
        let rect = Rect(x: 0, y: 0, width: 80, height: 24)
        #expect(rect.centered(width: 40, height: 4) == Rect(x: 20, y: 10, width: 40, height: 4))
        #expect(rect.centered(width: 100, height: 30) == rect)
        #expect(rect.intersection(Rect(x: 70, y: 20, width: 20, height: 20)) == Rect(x: 70, y: 20, width: 10, height: 4))
        #expect(rect.intersection(Rect(x: 90, y: 0, width: 5, height: 5)).isEmpty)
        #expect(rect.row(23) == Rect(x: 0, y: 23, width: 80, height: 1))
        #expect(rect.row(24).isEmpty)
        #expect(rect.contains(Position(row: 23, column: 79)))
        #expect(!rect.contains(Position(row: 24, column: 0)))
    }
}
