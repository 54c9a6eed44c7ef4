"""``spyscan collect``: consensual acquisition from a phone connected to this computer.

Only with the owner present and agreeing. Nothing is left on the phone and no setting is changed
without explaining it, asking, and saying how to undo it. The acquisition libraries (adbutils for
Android, pymobiledevice3 for iOS) are optional extras imported only here.
"""
